"""Trails deliver to an S3 bucket with Object Lock in compliance mode."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import trails
from antai.collectors.aws.inventory import Failure, Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, errored, failed, passed

META = CheckMeta(
    id="aws.cloudtrail.object_lock",
    items=("LOG-01",),
    severity=Severity.HIGH,
    title=Text(
        "証跡の保存先 S3 バケットがコンプライアンスモードの Object Lock で守られている",
        "Trails deliver to an S3 bucket with Object Lock in compliance mode",
    ),
    rationale=Text(
        "本番の管理者やルートが消せるログは、不正の痕跡を最初に消される",
        "Logs that a production administrator or root can delete are the first trace an intruder erases",
    ),
    remediation=Text(
        "ログ専用アカウントに Object Lock を有効にしたバケットを作り、既定の保持をコンプライアンスモードにして"
        "証跡の送り先にする",
        "Create a bucket with Object Lock in a dedicated log account, set default retention in compliance mode "
        "and deliver the trails there",
    ),
    needs=("cloudtrail.trails",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for name in sorted({t.bucket for t in trails(inv) if t.bucket}):
        arn = f"arn:{inv.partition}:s3:::{name}"
        bucket = inv.buckets_by_name.get(name)
        lock = bucket.object_lock if bucket is not None else None
        if isinstance(lock, Failure):
            yield errored(arn, lock)
            continue
        if not lock or lock.get("ObjectLockEnabled") != "Enabled":
            yield failed(arn, "Object Lock off")
            continue
        retention = lock.get("Rule", {}).get("DefaultRetention", {})
        mode = retention.get("Mode")
        period = retention.get("Days") or (f"{retention['Years']}y" if retention.get("Years") else None)
        observed = f"Mode={mode or 'none'}" + (f", Days={period}" if period else "")
        yield (passed if mode == "COMPLIANCE" else failed)(arn, observed)
