"""Every bucket has default encryption."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.inventory import Failure, Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, errored, failed, passed

META = CheckMeta(
    id="aws.s3.default_encryption",
    items=("DAT-04",),
    severity=Severity.MEDIUM,
    title=Text("S3 バケットに既定の暗号化がある", "S3 buckets have default encryption"),
    rationale=Text(
        "暗号化されていないオブジェクトは、媒体や権限の取り違え一つでそのまま読まれる",
        "Unencrypted objects can be read as they are after a single mix-up of media or permissions",
    ),
    remediation=Text(
        "既定の暗号化を SSE-KMS（カスタマー管理キー）にし、バケットキーを有効にする",
        "Set default encryption to SSE-KMS with a customer-managed key and turn on the bucket key",
    ),
    needs=("s3.buckets",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for bucket in inv.get("s3.buckets"):
        if isinstance(bucket.encryption, Failure):
            yield errored(bucket.arn, bucket.encryption)
        elif bucket.encryption:
            yield passed(bucket.arn, "SSEAlgorithm=" + ",".join(bucket.encryption))
        else:
            yield failed(bucket.arn, "no default encryption")
