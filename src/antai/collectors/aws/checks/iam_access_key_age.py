"""Active access keys are rotated within 90 days."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import days
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

MAX_DAYS = 90

META = CheckMeta(
    id="aws.iam.access_key_age",
    items=("PRV-02",),
    severity=Severity.MEDIUM,
    title=Text("有効なアクセスキーが 90 日以内に更新されている", "Active access keys are younger than 90 days"),
    rationale=Text(
        "長く生きる固定キーは CI、設定ファイル、誤コミットから漏れ、漏れたまま使われ続ける",
        "Long-lived static keys leak from CI, config files and stray commits, and stay usable once leaked",
    ),
    remediation=Text(
        "CI は OIDC 連携、ワークロードはロールに移してキーをなくす。残すキーは 90 日以内に作り直す",
        "Move CI to OIDC federation and workloads to roles so that keys go away; re-create any key you keep "
        "within 90 days",
    ),
    needs=("iam.credential_report",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for row in inv.get("iam.credential_report"):
        if row.root:
            continue
        ages = [(key.number, days(inv.now, key.last_rotated)) for key in row.keys if key.active]
        if not ages:
            continue
        old = [f"access_key_{n} {age}d" for n, age in ages if age is not None and age > MAX_DAYS]
        if old:
            yield failed(row.arn, "; ".join(old))
        else:
            yield passed(row.arn, ", ".join(f"access_key_{n} {age}d" for n, age in ages))
