"""The root user signs in with MFA."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.iam.root_mfa",
    items=("IAM-01", "IAM-02"),
    severity=Severity.CRITICAL,
    title=Text("ルートユーザーに MFA が設定されている", "The root user has MFA"),
    rationale=Text(
        "ルートユーザーはログの停止もバックアップの削除もできる。パスワードだけなら、漏れた一つの資格情報で事業全体を失う",
        "The root user can stop logging and delete backups; with a password alone, one leaked credential "
        "costs the whole business",
    ),
    remediation=Text(
        "ルートユーザーに FIDO2 セキュリティキーを登録し、パスワードとキーを別々の役員が保管する",
        "Register a FIDO2 security key for the root user and have two different officers hold the password and the key",
    ),
    needs=("iam.summary",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    enabled = inv.get("iam.summary").get("AccountMFAEnabled", 0)
    verdict = passed if enabled == 1 else failed
    yield verdict(inv.root_arn(), f"AccountMFAEnabled={enabled}")
