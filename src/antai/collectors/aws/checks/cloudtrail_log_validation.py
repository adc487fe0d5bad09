"""Every trail has log file validation on."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import trails
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.cloudtrail.log_validation",
    items=("LOG-01",),
    severity=Severity.MEDIUM,
    title=Text("CloudTrail のログファイル検証が有効である", "CloudTrail log file validation is on"),
    rationale=Text(
        "ダイジェストがなければ、ログが書き換えられたり消されたりしても証明できない",
        "Without digest files nobody can prove that a log was altered or deleted",
    ),
    remediation=Text(
        "各証跡でログファイルの検証を有効にし、aws cloudtrail validate-logs で定期的に確かめる",
        "Turn on log file validation on every trail and check it regularly with aws cloudtrail validate-logs",
    ),
    needs=("cloudtrail.trails",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for trail in trails(inv):
        observed = f"LogFileValidationEnabled={str(trail.log_validation).lower()}"
        yield (passed if trail.log_validation else failed)(trail.arn, observed)
