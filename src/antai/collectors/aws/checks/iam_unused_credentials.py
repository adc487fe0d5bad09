"""Passwords and access keys unused for more than 45 days are removed."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import days
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

MAX_DAYS = 45

META = CheckMeta(
    id="aws.iam.unused_credentials",
    items=("IAM-06", "PRV-02"),
    severity=Severity.MEDIUM,
    title=Text(
        "45 日を超えて使われていないパスワード・アクセスキーがない",
        "No password or access key unused for more than 45 days",
    ),
    rationale=Text(
        "使われない資格情報は退職者や終わった作業の残りであることが多く、漏れても誰も気づかない",
        "Unused credentials are often left over from leavers or finished work, and nobody notices when they leak",
    ),
    remediation=Text(
        "45 日以上使われていないパスワードを無効にし、アクセスキーを削除する。毎月 IdP の在籍者と突き合わせる",
        "Disable passwords and delete access keys unused for 45 days; compare identities with the IdP's staff "
        "list every month",
    ),
    needs=("iam.credential_report",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for row in inv.get("iam.credential_report"):
        if row.root:
            continue
        stale = []
        active = False
        if row.password_enabled:
            active = True
            used = days(inv.now, row.password_last_used)
            unused_since = used if used is not None else days(inv.now, row.password_last_changed or row.created)
            if unused_since is not None and unused_since > MAX_DAYS:
                stale.append(f"password {'unused' if used is not None else 'never used'} {unused_since}d")
        for key in row.keys:
            if not key.active:
                continue
            active = True
            used = days(inv.now, key.last_used)
            unused_since = used if used is not None else days(inv.now, key.last_rotated)
            if unused_since is not None and unused_since > MAX_DAYS:
                how = "unused" if used is not None else "never used"
                stale.append(f"access_key_{key.number} {how} {unused_since}d")
        if stale:
            yield failed(row.arn, "; ".join(stale))
        elif active:
            yield passed(row.arn, f"none unused for more than {MAX_DAYS}d")
