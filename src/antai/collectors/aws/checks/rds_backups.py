"""RDS automated backups are on."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import databases
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.rds.backups",
    items=("DAT-07",),
    severity=Severity.MEDIUM,
    title=Text("RDS の自動バックアップが有効である", "RDS automated backups are on"),
    rationale=Text(
        "自動バックアップがなければ、誤操作やランサムウェアの前の時点に戻せない",
        "Without automated backups there is no point in time to return to after a mistake or ransomware",
    ),
    remediation=Text(
        "バックアップ保持期間を 7 日以上にし、AWS Backup で別アカウントにもコピーして復元を試す",
        "Set the backup retention period to 7 days or more, copy backups to another account with AWS Backup "
        "and test restores",
    ),
    needs=("rds.instances", "rds.clusters"),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for arn, data, _cluster in databases(inv):
        days = int(data.get("BackupRetentionPeriod") or 0)
        yield (passed if days > 0 else failed)(arn, f"BackupRetentionPeriod={days}")
