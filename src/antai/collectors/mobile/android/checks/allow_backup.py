"""Android's backups do not take the app's data, or take only what backup rules allow."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, passed
from antai.collectors.mobile.android.checks.common import unreadable
from antai.collectors.mobile.android.facts import ApkFacts, BackupRules

META = CheckMeta(
    id="apk.allow_backup",
    items=("MOB-02",),
    severity=Severity.MEDIUM,
    title=Text(
        "バックアップが無効（allowBackup=false）か、バックアップルールで対象を絞っている",
        "Backup is off (allowBackup=false), or backup rules limit what it takes",
    ),
    rationale=Text(
        "allowBackup は指定がなければ true で、トークンやデータベースがクラウドバックアップや"
        "PC への adb backup に入り、"
        "アプリの外で読まれうる",
        "allowBackup defaults to true: tokens and databases then go into cloud backups and adb backups on a PC, "
        "where they can be read outside the app",
    ),
    remediation=Text(
        'android:allowBackup="false" を指定する。バックアップが要るなら '
        "android:dataExtractionRules（Android 12 以降）と "
        "android:fullBackupContent（Android 11 以前）でトークン・データベース・キャッシュを除外する",
        'Set android:allowBackup="false"; if backups are needed, exclude tokens, databases and caches with '
        "android:dataExtractionRules (Android 12 and later) and android:fullBackupContent (Android 11 and earlier)",
    ),
)


def needed_rules(facts: ApkFacts) -> list[tuple[str, BackupRules | None]]:
    """The rule attributes that govern the app's backups on the Android versions it runs on."""
    target, minimum = facts.target_sdk or 0, facts.min_sdk or 0
    needed: list[tuple[str, BackupRules | None]] = []
    if target >= 31:
        needed.append(("dataExtractionRules", facts.data_extraction))
    if target < 31 or minimum <= 30:
        needed.append(("fullBackupContent", facts.full_backup))
    return needed


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    problem = unreadable(facts, "allowBackup")
    if problem is not None:
        yield problem
        return
    if facts.allow_backup is False:
        yield passed(facts.package, 'android:allowBackup="false"')
        return
    written = (
        'android:allowBackup="true"'
        if facts.allow_backup
        else facts.say("android:allowBackup の指定なし（既定は true）", "no android:allowBackup (defaults to true)")
    )
    needed = needed_rules(facts)
    if all(rules is not None and rules.error is None and rules.restricts for _, rules in needed):
        names = ", ".join(name for name, _ in needed)
        yield passed(
            facts.package, written + facts.say(f"、{names} で対象を制限", f"; {names} limit what is backed up")
        )
        return
    yield failed(facts.package, written)
