"""Components other apps can start or bind to are protected by a permission, or are meant to be public."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, passed
from antai.collectors.mobile.android.facts import ApkFacts, Component

META = CheckMeta(
    id="apk.exported_components",
    items=("MOB-07",),
    severity=Severity.MEDIUM,
    title=Text(
        "他のアプリから呼べるコンポーネントを権限で守っている",
        "Components other apps can reach are protected by a permission",
    ),
    rationale=Text(
        "権限なしで公開された Activity・Service・BroadcastReceiver・ContentProvider は、端末上の悪意あるアプリから"
        "起動やデータの読み書きに使われ、認証前の画面へ直接遷移されたり情報を抜かれたりする",
        "An activity, service, receiver or provider exported without a permission can be driven by any app on the "
        "phone: it can open screens past authentication, or read and write data",
    ),
    remediation=Text(
        "全コンポーネントに android:exported を明示し、公開の必要がないものは false にする。公開するものは "
        "protectionLevel が signature の権限で守り、受け取る Intent を全て検証する",
        "Declare android:exported on every component and set it to false unless it must be public; protect public "
        "ones with a permission whose protectionLevel is signature, and validate every Intent they receive",
    ),
)


def exported(facts: ApkFacts, component: Component) -> tuple[bool, str]:
    """Whether other apps can reach ``component``, and how that was decided."""
    if component.exported is not None:
        return component.exported, f'android:exported="{str(component.exported).lower()}"'
    if component.intent_filters:
        return True, facts.say(
            "exported の指定なし、intent-filter ありで公開", "no android:exported; exported by its intent-filter"
        )
    if component.kind == "provider" and (facts.target_sdk or 0) < 17:
        return True, facts.say(
            "exported の指定なし（targetSdk 17 未満の provider は既定で公開）",
            "no android:exported (providers are exported by default below targetSdk 17)",
        )
    return False, facts.say("exported の指定なし、非公開", "no android:exported; not exported")


def _permission(component: Component) -> str | None:
    if component.permission:
        return component.permission
    if component.kind == "provider" and component.read_permission and component.write_permission:
        return f"{component.read_permission} / {component.write_permission}"
    return None


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    public = 0
    for component in facts.components:
        where = f"{component.kind} {component.name}: "
        if any(key.startswith(where) for key in facts.unresolved):
            yield errored(component.name, facts.say("exported を読めない", "android:exported unreadable"))
            continue
        reachable, how = exported(facts, component)
        if not reachable:
            continue
        public += 1
        permission = _permission(component)
        if permission is not None:
            level = facts.permissions.get(component.permission or "")
            if level in ("normal", "dangerous"):
                yield failed(
                    component.name,
                    how
                    + facts.say(
                        f"、権限 {permission} は {level}（どのアプリでも得られる）",
                        f", permission {permission} is {level} (any app can get it)",
                    ),
                )
            else:
                yield passed(component.name, how + facts.say(f"、権限 {permission}", f", permission {permission}"))
        elif component.launcher:
            yield passed(component.name, how + facts.say("、ランチャー（公開が前提）", ", launcher (public by design)"))
        elif component.browsable and component.kind in ("activity", "activity-alias"):
            schemes = ", ".join(component.schemes) or "-"
            verified = facts.say("、autoVerify あり", ", autoVerify") if component.auto_verify else ""
            yield passed(
                component.name,
                how + facts.say(f"、ディープリンク（{schemes}{verified}）", f", deep link ({schemes}{verified})"),
            )
        else:
            yield failed(component.name, how + facts.say("、権限なし", ", no permission"))
    if public == 0:
        yield passed(facts.package, facts.say("公開されたコンポーネントなし", "no exported component"))
