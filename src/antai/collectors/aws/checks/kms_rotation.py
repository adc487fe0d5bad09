"""Customer-managed KMS keys rotate automatically."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.fetch import rotatable
from antai.collectors.aws.inventory import Failure, Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, errored, failed, not_applicable, passed

META = CheckMeta(
    id="aws.kms.rotation",
    items=("KEY-01",),
    severity=Severity.MEDIUM,
    title=Text("KMS のカスタマー管理キーが自動ローテーションされる", "Customer-managed KMS keys rotate automatically"),
    rationale=Text(
        "同じ鍵素材を長く使うほど、漏えいや解読の影響が大きくなる",
        "The longer one key material is in use, the more a leak or a break exposes",
    ),
    remediation=Text(
        "対称のカスタマー管理キーで自動ローテーションを有効にし、鍵台帳に周期を記録する",
        "Turn on automatic rotation for symmetric customer-managed keys and record the period in the key inventory",
    ),
    needs=("kms.keys",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for _region, keys in inv.each("kms.keys"):
        for key in keys:
            if isinstance(key.manager, Failure):
                yield errored(key.arn, key.manager)
            elif key.manager != "CUSTOMER" or key.state not in (None, "Enabled"):
                continue
            elif not rotatable(key):
                yield not_applicable(key.arn, f"KeySpec={key.spec}, Origin={key.origin}")
            elif isinstance(key.rotation, Failure):
                yield errored(key.arn, key.rotation)
            else:
                yield (passed if key.rotation else failed)(key.arn, f"KeyRotationEnabled={str(key.rotation).lower()}")
