"""Stopping or changing AWS Config raises an alarm: trail → metric filter → alarm → confirmed SNS subscription."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import alarm_chain, config_change_pattern
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.config.change_alarm",
    items=("LOG-03", "LOG-05"),
    severity=Severity.MEDIUM,
    title=Text(
        "AWS Config の停止・変更が通知される",
        "Stopping or changing AWS Config raises an alarm",
    ),
    rationale=Text(
        "記録を止めてから設定を変えれば痕跡は残らない。記録の停止そのものを本人以外に知らせる",
        "Whoever stops the recorder first can change settings without a trace; stopping it must reach "
        "someone else at once",
    ),
    remediation=Text(
        "証跡の CloudWatch Logs に eventSource = config.amazonaws.com と StopConfigurationRecorder・"
        "DeleteDeliveryChannel などのメトリクスフィルター、アラーム、確認済みの購読がある SNS トピックをつなぐ",
        "On the trail's CloudWatch Logs, chain a metric filter on eventSource = config.amazonaws.com with "
        "StopConfigurationRecorder, DeleteDeliveryChannel and the like, an alarm and an SNS topic with a "
        "confirmed subscription",
    ),
    needs=("cloudtrail.trails", "logs.metric_filters", "cloudwatch.alarms", "sns.subscriptions"),
    account_level=True,
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    ok, observed = alarm_chain(inv, config_change_pattern)
    yield (passed if ok else failed)(inv.scope(), observed)
