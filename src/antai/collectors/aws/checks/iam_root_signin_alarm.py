"""Root activity raises an alarm: trail → metric filter → alarm → confirmed SNS subscription."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import alarm_chain, root_use_pattern
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.iam.root_signin_alarm",
    items=("IAM-01", "LOG-03", "LOG-05"),
    severity=Severity.HIGH,
    title=Text("ルートユーザーの利用が通知される", "Use of the root user raises an alarm"),
    rationale=Text(
        "ルートは使われないはずの ID である。使われたら即座に本人以外が知らなければ、単独の不正利用を止められない",
        "The root user should never be used; unless someone else learns at once when it is, nothing stops "
        "its lone misuse",
    ),
    remediation=Text(
        '全リージョンの証跡を CloudWatch Logs に送り、$.userIdentity.type = "Root" のメトリクスフィルター、'
        "アラーム、確認済みの購読がある SNS トピックをつなぐ",
        'Send a multi-region trail to CloudWatch Logs and chain a metric filter on $.userIdentity.type = "Root", '
        "an alarm and an SNS topic with a confirmed subscription",
    ),
    needs=("cloudtrail.trails", "logs.metric_filters", "cloudwatch.alarms", "sns.subscriptions"),
    account_level=True,
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    ok, observed = alarm_chain(inv, root_use_pattern)
    yield (passed if ok else failed)(inv.scope(), observed)
