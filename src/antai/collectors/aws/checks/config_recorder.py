"""AWS Config records every resource type in each region."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.config.recorder",
    items=("LOG-03",),
    severity=Severity.MEDIUM,
    title=Text("AWS Config のレコーダーが記録している", "The AWS Config recorder is on"),
    rationale=Text(
        "設定の履歴がなければ、いつ誰が何を変えたかを追えず、変更を通知する仕組みも作れない",
        "Without a configuration history nobody can tell what changed and when, and no change can be alerted on",
    ),
    remediation=Text(
        "各リージョンで全リソースタイプを記録するレコーダーと配信チャネルを作り、記録を開始する",
        "Create a recorder for all resource types and a delivery channel in every region, and start recording",
    ),
    needs=("config.recorders", "config.recorder_status"),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for region, recorders in inv.each("config.recorders"):
        status = {s.get("name"): s for s in inv.region("config.recorder_status", region) or []}
        if not recorders:
            yield failed(inv.scope(region), "no recorder")
            continue
        for recorder in recorders:
            name = recorder.get("name", "")
            resource = f"arn:{inv.partition}:config:{region}:{inv.account}:config-recorder/{name}"
            recording = bool(status.get(name, {}).get("recording"))
            group = recorder.get("recordingGroup", {})
            everything = bool(group.get("allSupported", True))
            observed = f"recording={str(recording).lower()}, allSupported={str(everything).lower()}"
            yield (passed if recording and everything else failed)(resource, observed)
