"""No EBS snapshot can be restored by anyone."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.inventory import Failure, Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, errored, failed, passed

META = CheckMeta(
    id="aws.ec2.public_snapshots",
    items=("DAT-11",),
    severity=Severity.CRITICAL,
    title=Text("公開された EBS スナップショットがない", "No EBS snapshot is public"),
    rationale=Text(
        "公開スナップショットはディスクの中身そのものであり、誰でも自分のアカウントで復元できる",
        "A public snapshot is the disk itself, and anyone can restore it in their own account",
    ),
    remediation=Text(
        "スナップショットの createVolumePermission から all を外し、EBS スナップショットのパブリックアクセス"
        "ブロックを有効にする",
        "Remove 'all' from the snapshot's createVolumePermission and turn on block public access for EBS snapshots",
    ),
    needs=("ec2.snapshots",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for _region, snapshots in inv.each("ec2.snapshots"):
        for snapshot in snapshots:
            if isinstance(snapshot.public, Failure):
                yield errored(snapshot.arn, snapshot.public)
            else:
                yield (failed if snapshot.public else passed)(snapshot.arn, "public" if snapshot.public else "private")
