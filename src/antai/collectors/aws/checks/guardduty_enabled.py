"""GuardDuty is on in every region checked."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.inventory import Failure, Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, errored, failed, passed

META = CheckMeta(
    id="aws.guardduty.enabled",
    items=("CYB-04", "LOG-05"),
    severity=Severity.HIGH,
    title=Text("GuardDuty が有効である", "GuardDuty is enabled"),
    rationale=Text(
        "脅威検知がなければ、侵入後の攻撃者の動きは顧客データが盗まれるまで気づかれない",
        "Without threat detection an attacker's moves after a break-in go unnoticed until customer data is gone",
    ),
    remediation=Text(
        "全リージョンで GuardDuty を有効にし（組織では委任管理者から自動有効化）、検出結果を通知につなぐ",
        "Enable GuardDuty in every region (auto-enabled from the delegated administrator in an organisation) and "
        "route its findings to alerts",
    ),
    needs=("guardduty.detectors",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for region, detectors in inv.each("guardduty.detectors"):
        if not detectors:
            yield failed(inv.scope(region), "no detector")
            continue
        for detector in detectors:
            arn = f"arn:{inv.partition}:guardduty:{region}:{inv.account}:detector/{detector.id}"
            if isinstance(detector.status, Failure):
                yield errored(arn, detector.status)
            else:
                yield (passed if detector.status == "ENABLED" else failed)(arn, f"Status={detector.status}")
