"""The account password policy asks for long passwords that are not reused."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

MIN_LENGTH = 14
MIN_REUSE = 24

META = CheckMeta(
    id="aws.iam.password_policy",
    items=("IAM-02",),
    severity=Severity.MEDIUM,
    title=Text(
        "IAM のパスワードポリシーが 14 文字以上・過去 24 個の再利用禁止である",
        "The IAM password policy asks for 14 characters or more and bars the last 24 passwords",
    ),
    rationale=Text(
        "短いパスワードや使い回しは総当たりと漏えいパスワードの試行に弱い",
        "Short or reused passwords fall to brute force and to passwords leaked elsewhere",
    ),
    remediation=Text(
        "アカウントのパスワードポリシーで最小長 14、再利用禁止 24 を設定する",
        "Set the account password policy to a minimum length of 14 and password reuse prevention of 24",
    ),
    needs=("iam.password_policy",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    policy = inv.get("iam.password_policy")
    if policy is None:
        yield failed(inv.scope(), "no password policy")
        return
    length = policy.get("MinimumPasswordLength", 0)
    reuse = policy.get("PasswordReusePrevention", 0)
    observed = f"MinimumPasswordLength={length}, PasswordReusePrevention={reuse}"
    yield (passed if length >= MIN_LENGTH and reuse >= MIN_REUSE else failed)(inv.scope(), observed)
