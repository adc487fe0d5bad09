"""RDS databases run in more than one availability zone."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import databases
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.rds.multi_az",
    items=("RED-01",),
    severity=Severity.MEDIUM,
    title=Text("RDS がマルチ AZ で動いている", "RDS databases are Multi-AZ"),
    rationale=Text(
        "単一 AZ のデータベースは、機器や AZ の障害一つでサービス全体を止める",
        "A database in a single AZ stops the whole service when one machine or zone fails",
    ),
    remediation=Text(
        "本番のインスタンスをマルチ AZ 配置に変え、Aurora では別 AZ にリーダーを置く",
        "Convert production instances to Multi-AZ; on Aurora, place a reader in another AZ",
    ),
    needs=("rds.instances", "rds.clusters"),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for arn, data, _cluster in databases(inv):
        multi = bool(data.get("MultiAZ"))
        yield (passed if multi else failed)(arn, f"MultiAZ={str(multi).lower()}")
