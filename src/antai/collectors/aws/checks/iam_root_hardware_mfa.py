"""The root user's MFA is a hardware device, not a virtual (app) one."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.iam.root_hardware_mfa",
    items=("IAM-01", "IAM-02"),
    severity=Severity.HIGH,
    title=Text("ルートユーザーの MFA がハードウェアキーである", "The root user's MFA is a hardware device"),
    rationale=Text(
        "アプリの使い捨てコードは偽のサインイン画面で中継できる。特権 ID にはフィッシングに強い認証器が要る",
        "Codes from an authenticator app can be relayed through a fake sign-in page; privileged identities "
        "need a phishing-resistant authenticator",
    ),
    remediation=Text(
        "ルートユーザーの仮想 MFA を外し、FIDO2 セキュリティキーを 2 本（予備は金庫など別の場所）登録する",
        "Replace the root user's virtual MFA with two FIDO2 security keys, keeping the spare in a safe or "
        "another place",
    ),
    needs=("iam.summary", "iam.virtual_mfa"),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    if inv.get("iam.summary").get("AccountMFAEnabled", 0) != 1:
        yield failed(inv.root_arn(), "no MFA")
        return
    virtual = any(arn.endswith(":root") for arn in inv.get("iam.virtual_mfa"))
    yield failed(inv.root_arn(), "virtual MFA") if virtual else passed(inv.root_arn(), "hardware MFA")
