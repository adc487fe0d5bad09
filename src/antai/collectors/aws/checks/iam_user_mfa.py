"""Every IAM user with a console password has MFA."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.iam.user_mfa",
    items=("IAM-02",),
    severity=Severity.HIGH,
    title=Text("コンソールを使う IAM ユーザーに MFA がある", "Console IAM users have MFA"),
    rationale=Text(
        "パスワードだけの ID はフィッシングや使い回しのパスワードで乗っ取られる",
        "An identity with only a password falls to phishing or a password reused from another breach",
    ),
    remediation=Text(
        "サインインを IAM Identity Center に集めて MFA を必須にする。残す IAM ユーザーには MFA を登録し、"
        "aws:MultiFactorAuthPresent がない操作を拒否する",
        "Move sign-in to IAM Identity Center with MFA enforced; register MFA for any IAM user that remains and "
        "deny actions without aws:MultiFactorAuthPresent",
    ),
    needs=("iam.credential_report",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for row in inv.get("iam.credential_report"):
        if row.root or not row.password_enabled:
            continue
        yield (passed if row.mfa_active else failed)(row.arn, f"mfa_active={str(row.mfa_active).lower()}")
