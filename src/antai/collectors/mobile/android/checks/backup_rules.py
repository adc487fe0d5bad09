"""When the app's data is backed up, rules keep sensitive files out of the backups and device transfers."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, not_applicable, passed
from antai.collectors.mobile.android.checks.allow_backup import needed_rules
from antai.collectors.mobile.android.facts import ApkFacts, BackupRules

META = CheckMeta(
    id="apk.backup_rules",
    items=("MOB-02",),
    severity=Severity.LOW,
    title=Text(
        "バックアップと端末間移行の対象からデータを除外するルールがある",
        "Backup rules keep data out of backups and device-to-device transfers",
    ),
    rationale=Text(
        "バックアップが有効でルールがなければ、アプリのファイル・データベース・SharedPreferences の全てがバックアップと"
        "機種変更時の移行に入る。Android 12 以降を対象とするアプリは allowBackup=false でも端末間移行は止まらない",
        "With backup on and no rules, all of the app's files, databases and shared preferences go into backups and "
        "into the transfer to a new phone; for apps targeting Android 12 and later, allowBackup=false does not stop "
        "device-to-device transfer",
    ),
    remediation=Text(
        "res/xml に data-extraction-rules（cloud-backup と device-transfer）と full-backup-content を置き、"
        "トークン・データベース・キャッシュを exclude して "
        "android:dataExtractionRules と android:fullBackupContent で指定する",
        "Add data-extraction-rules (cloud-backup and device-transfer) and full-backup-content files under res/xml "
        "that exclude tokens, databases and caches, and name them in android:dataExtractionRules and "
        "android:fullBackupContent",
    ),
)


def _shown(facts: ApkFacts, rules: BackupRules) -> str:
    if rules.disabled:
        return f'{rules.attribute}="false"'
    parts = [f"{name} include {inc} exclude {exc}" for name, (inc, exc) in rules.sections.items()]
    return f"{rules.attribute} ({rules.source}): " + ("; ".join(parts) if parts else facts.say("規則なし", "no rules"))


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    if facts.allow_backup is False:
        present = [r for r in (facts.data_extraction, facts.full_backup) if r is not None and r.error is None]
        shown = "; ".join(_shown(facts, r) for r in present)
        note = facts.say("バックアップは無効（allowBackup=false）", "backup is off (allowBackup=false)")
        if (facts.target_sdk or 0) >= 31 and not (facts.data_extraction and facts.data_extraction.restricts):
            note += facts.say(
                "。Android 12 以降の端末間移行はルールがなければ全データを移す",
                "; on Android 12 and later, device-to-device transfer still takes everything without rules",
            )
        yield not_applicable(facts.package, note + (f"; {shown}" if shown else ""))
        return
    if facts.allow_backup is None and "allowBackup" in facts.unresolved:
        yield errored(facts.package, facts.say("allowBackup を読めない", "allowBackup unreadable"))
        return
    problems: list[str] = []
    limits: list[str] = []
    for name, rules in needed_rules(facts):
        if rules is None:
            problems.append(facts.say(f"{name} がない", f"no {name}"))
        elif rules.error is not None:
            yield errored(facts.package, f"{name}: {rules.error}")
            return
        elif not rules.restricts:
            problems.append(facts.say(f"{name} が何も除外しない", f"{name} excludes nothing") + f" ({rules.source})")
        else:
            limits.append(_shown(facts, rules))
    if problems:
        yield failed(facts.package, "; ".join(problems + limits))
    else:
        yield passed(facts.package, "; ".join(limits))
