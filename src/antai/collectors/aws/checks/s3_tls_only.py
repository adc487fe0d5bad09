"""Every bucket policy denies requests that do not use TLS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import as_list, statements
from antai.collectors.aws.inventory import Failure, Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, errored, failed, passed

META = CheckMeta(
    id="aws.s3.tls_only",
    items=("TRN-02",),
    severity=Severity.MEDIUM,
    title=Text(
        "S3 バケットポリシーが TLS 以外のリクエストを拒否する",
        "S3 bucket policies deny requests without TLS",
    ),
    rationale=Text(
        "平文の HTTP を受け付けるバケットでは、経路上でデータや認証情報を読まれ、書き換えられる",
        "A bucket that accepts plain HTTP lets anyone on the path read or alter data and credentials",
    ),
    remediation=Text(
        'バケットポリシーに Effect Deny、Principal "*"、Action "s3:*"、Condition Bool aws:SecureTransport = false '
        "の文を加える",
        'Add a statement with Effect Deny, Principal "*", Action "s3:*" and Condition Bool '
        "aws:SecureTransport = false to the bucket policy",
    ),
    needs=("s3.buckets",),
)


def _denies_plain_http(statement: dict[str, Any]) -> bool:
    if statement.get("Effect") != "Deny":
        return False
    principal = statement.get("Principal")
    if principal != "*" and not (isinstance(principal, dict) and "*" in as_list(principal.get("AWS"))):
        return False
    if not {"*", "s3:*"} & set(as_list(statement.get("Action"))):
        return False
    for operator in ("Bool", "BoolIfExists"):
        value = (statement.get("Condition") or {}).get(operator, {}).get("aws:SecureTransport")
        if str(value).lower() in ("false", "['false']"):
            return True
    return False


def evaluate(inv: Inventory) -> Iterator[Result]:
    for bucket in inv.get("s3.buckets"):
        if isinstance(bucket.policy, Failure):
            yield errored(bucket.arn, bucket.policy)
        elif bucket.policy is None:
            yield failed(bucket.arn, "no bucket policy")
        elif any(_denies_plain_http(s) for s in statements(bucket.policy)):
            yield passed(bucket.arn, "Deny aws:SecureTransport=false")
        else:
            yield failed(bucket.arn, "no Deny on aws:SecureTransport=false")
