"""RDS storage is encrypted."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import databases
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.rds.encryption",
    items=("DAT-04",),
    severity=Severity.HIGH,
    title=Text("RDS のストレージが暗号化されている", "RDS storage is encrypted"),
    rationale=Text(
        "暗号化されていないデータベースは、スナップショットやバックアップごと平文で持ち出される",
        "An unencrypted database leaves with its snapshots and backups in plain form",
    ),
    remediation=Text(
        "暗号化したスナップショットから KMS キーで暗号化したインスタンスを復元して切り替える",
        "Restore from an encrypted copy of a snapshot into an instance encrypted with a KMS key, then switch over",
    ),
    needs=("rds.instances", "rds.clusters"),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for arn, data, _cluster in databases(inv):
        encrypted = bool(data.get("StorageEncrypted"))
        yield (passed if encrypted else failed)(arn, f"StorageEncrypted={str(encrypted).lower()}")
