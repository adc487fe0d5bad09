"""No manual RDS snapshot can be restored by anyone."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.inventory import Failure, Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, errored, failed, passed

META = CheckMeta(
    id="aws.rds.public_snapshots",
    items=("DAT-11",),
    severity=Severity.CRITICAL,
    title=Text("公開された RDS スナップショットがない", "No RDS snapshot is public"),
    rationale=Text(
        "公開された DB スナップショットからは、誰でも本番データベースを丸ごと復元できる",
        "From a public DB snapshot anyone can restore the whole production database",
    ),
    remediation=Text(
        "スナップショット属性 restore から all を外し、共有は特定のアカウントに限る",
        "Remove 'all' from the snapshot's restore attribute and share only with named accounts",
    ),
    needs=("rds.snapshots",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for _region, snapshots in inv.each("rds.snapshots"):
        for snapshot in snapshots:
            if isinstance(snapshot.public, Failure):
                yield errored(snapshot.arn, snapshot.public)
            else:
                yield (failed if snapshot.public else passed)(snapshot.arn, "public" if snapshot.public else "private")
