"""The account-wide S3 Block Public Access is fully on."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import public_block_off
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.s3.account_public_access_block",
    items=("DAT-06", "BP-06"),
    severity=Severity.HIGH,
    title=Text(
        "アカウント全体で S3 のパブリックアクセスブロックが有効である",
        "S3 Block Public Access is on for the whole account",
    ),
    rationale=Text(
        "アカウント単位の設定がなければ、一つのバケットポリシーや ACL の誤りで全件が公開される",
        "Without the account-wide setting one mistaken bucket policy or ACL makes everything public",
    ),
    remediation=Text(
        "アカウントのパブリックアクセスブロックの 4 項目をすべて有効にする（組織では SCP で変更を禁じる）",
        "Turn on all four account-level Block Public Access settings (and forbid changing them with an SCP "
        "in an organisation)",
    ),
    needs=("s3.account_public_access_block",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    off = public_block_off(inv.get("s3.account_public_access_block"))
    resource = inv.scope()
    yield failed(resource, "off: " + ", ".join(off)) if off else passed(resource, "all four on")
