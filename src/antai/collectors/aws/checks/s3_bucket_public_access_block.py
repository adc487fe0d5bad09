"""Every bucket has Block Public Access on, or is covered by the account-wide setting."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import public_block_off
from antai.collectors.aws.inventory import Failure, Inventory, Unavailable
from antai.collectors.aws.meta import CheckMeta, Result, Text, errored, failed, passed

META = CheckMeta(
    id="aws.s3.bucket_public_access_block",
    items=("DAT-06",),
    severity=Severity.HIGH,
    title=Text(
        "各 S3 バケットでパブリックアクセスブロックが有効である",
        "Every S3 bucket has Block Public Access on",
    ),
    rationale=Text(
        "公開されたバケットは外部から全件をダウンロードされる、大量漏えいの典型的な原因である",
        "A public bucket can be downloaded in full from outside, a classic cause of mass leaks",
    ),
    remediation=Text(
        "バケットのパブリックアクセスブロックの 4 項目を有効にする（アカウント全体の設定でもよい）",
        "Turn on all four Block Public Access settings on the bucket (or for the whole account)",
    ),
    needs=("s3.buckets",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    try:
        account_off = public_block_off(inv.get("s3.account_public_access_block"))
    except Unavailable:
        account_off = ["unknown"]
    for bucket in inv.get("s3.buckets"):
        if isinstance(bucket.public_access_block, Failure):
            yield errored(bucket.arn, bucket.public_access_block)
            continue
        off = public_block_off(bucket.public_access_block)
        if not off:
            yield passed(bucket.arn, "all four on")
        elif not account_off:
            yield passed(bucket.arn, "covered by the account-wide block")
        else:
            yield failed(bucket.arn, "off: " + ", ".join(off))
