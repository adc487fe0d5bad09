"""The root user has no access keys."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.iam.root_access_keys",
    items=("IAM-01",),
    severity=Severity.CRITICAL,
    title=Text("ルートユーザーにアクセスキーがない", "The root user has no access keys"),
    rationale=Text(
        "ルートのアクセスキーは MFA なしで全権を与え、漏れれば誰にも気づかれずに使われる",
        "A root access key grants everything without MFA, and a leaked one is used without anyone noticing",
    ),
    remediation=Text(
        "ルートのアクセスキーを削除し、日常の作業は名前付きの最小権限 ID（IAM Identity Center）で行う",
        "Delete the root access keys and do daily work through named, least-privilege identities (IAM Identity Center)",
    ),
    needs=("iam.summary",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    present = inv.get("iam.summary").get("AccountAccessKeysPresent", 0)
    yield (passed if not present else failed)(inv.root_arn(), f"AccountAccessKeysPresent={present}")
