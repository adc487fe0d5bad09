"""A multi-region trail is logging management events, reads and writes."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import trails
from antai.collectors.aws.inventory import Failure, Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, errored, failed, passed

META = CheckMeta(
    id="aws.cloudtrail.multi_region",
    items=("LOG-01", "LOG-02"),
    severity=Severity.HIGH,
    title=Text(
        "全リージョンの管理イベントを記録する CloudTrail 証跡がある",
        "A multi-region CloudTrail trail records management events",
    ),
    rationale=Text(
        "操作の記録がないリージョンでは、侵入者の作業も設定変更も後から再構成できない",
        "In a region without an activity log neither an intruder's actions nor configuration changes can be "
        "reconstructed afterwards",
    ),
    remediation=Text(
        "マルチリージョン証跡（できれば組織の証跡）を作り、読み取り・書き込みの管理イベントを記録して有効にしておく",
        "Create a multi-region trail (an organisation trail where possible), record read and write management "
        "events and keep it logging",
    ),
    needs=("cloudtrail.trails",),
    account_level=True,
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    found = trails(inv)
    reasons = []
    for trail in found:
        if not trail.multi_region:
            reasons.append(f"{trail.name}: single-region")
            continue
        for attribute in (trail.logging, trail.management_events):
            if isinstance(attribute, Failure):
                yield errored(trail.arn, attribute)
                return
        if trail.logging is not True:
            reasons.append(f"{trail.name}: not logging")
        elif trail.management_events is not True:
            reasons.append(f"{trail.name}: management events not fully recorded")
        else:
            yield passed(trail.arn, "multi-region, logging, management events")
            return
    yield failed(inv.scope(), "; ".join(reasons) or "no trail")
